import type { FastifyReply } from 'fastify';

/** Records the headers set on it, as the create route's reply. */
export function recordingReply() {
  const headers: Record<string, string> = {};
  const reply = {
    header(name: string, value: string) {
      headers[name] = value;
      return reply;
    },
  };
  return { reply: reply as unknown as FastifyReply, headers };
}
