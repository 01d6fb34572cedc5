import { connect } from 'amqplib';

/**
 * Asks the broker whether it knows the x-delayed-message exchange type by
 * declaring a probe exchange on a throwaway connection: older brokers
 * answer an unknown type with a connection-level 503, newer ones with a
 * channel-level 406, and either would take a shared connection's channels down.
 */
export async function hasDelayedExchangePlugin(url: string, prefix: string): Promise<boolean> {
  const connection = await connect(url);
  // A connection-level 503 rejects the pending call with a bare "Channel ended"; the reason comes here.
  let connectionError: unknown = null;
  connection.on('error', (error: unknown) => (connectionError = error));
  const probe = `${prefix}.delayed-plugin-probe`;
  try {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    await channel.assertExchange(probe, 'x-delayed-message', { durable: false, autoDelete: true, arguments: { 'x-delayed-type': 'direct' } });
    await channel.deleteExchange(probe);
    return true;
  } catch (error) {
    if ([error, connectionError].some(isUnknownExchangeType)) return false;
    throw error;
  } finally {
    await connection.close().catch(() => undefined);
  }
}

function isUnknownExchangeType(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: number; message?: string };
  return (code === 503 || code === 406) && /unknown exchange type/i.test(message ?? '');
}
