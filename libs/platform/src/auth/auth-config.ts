import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { HeraldConfig } from '../config/herald-config';
import { ConfigError } from '../config/config-error';
import { ApiKeyEntry, apiKeysProblem } from './api-keys';

/**
 * The secure default, decided once at start: the keys of HERALD_API_KEYS and
 * HERALD_API_KEYS_FILE together; HOST defaults to every interface with keys
 * and to loopback without; and without keys a non-loopback HOST is refused
 * unless HERALD_AUTH=off says so explicitly.
 */
export function resolveAuth(config: HeraldConfig): HeraldConfig {
  if (config.HERALD_API_KEYS_FILE) config.HERALD_API_KEYS = [...config.HERALD_API_KEYS, ...keysFromFile(config.HERALD_API_KEYS_FILE)];
  const problem = apiKeysProblem(config.HERALD_API_KEYS);
  if (problem) throw configError(`HERALD_API_KEYS and HERALD_API_KEYS_FILE together: ${problem}`);
  const keyed = config.HERALD_API_KEYS.length > 0;
  if (!config.HOST) config.HOST = keyed ? '0.0.0.0' : '127.0.0.1';
  if (!keyed && config.HERALD_AUTH === 'on' && !isLoopback(config.HOST)) {
    throw configError(
      `HOST=${config.HOST} is not a loopback address and no API keys are configured: set HERALD_API_KEYS (or HERALD_API_KEYS_FILE), ` +
        'listen on 127.0.0.1, or set HERALD_AUTH=off to serve unauthenticated calls on this address anyway',
    );
  }
  return config;
}

/** 127.0.0.0/8, ::1 and the name localhost. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '::ffff:127.0.0.1';
}

function keysFromFile(path: string): ApiKeyEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw configError(`HERALD_API_KEYS_FILE=${JSON.stringify(path)}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let keys: unknown;
  try {
    keys = JSON.parse(text);
  } catch {
    throw configError(`HERALD_API_KEYS_FILE=${JSON.stringify(path)}: is not JSON (an array of { id, key, scopes, owner? })`);
  }
  const problem = apiKeysProblem(keys);
  if (problem) throw configError(`HERALD_API_KEYS_FILE=${JSON.stringify(path)}: ${problem}`);
  return keys as ApiKeyEntry[];
}

const configError = (message: string) => new ConfigError(message);
