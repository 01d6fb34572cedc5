import { eventually } from '@herald/testing';
import { warmUpHttpClient } from './http-client-warm-up';

const sockets = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap' || r === 'TCPSocketWrap').length;

describe('warmUpHttpClient', () => {
  it('makes one request to a server of its own and closes both ends: nothing is left listening or connected', async () => {
    const before = sockets();
    await warmUpHttpClient();
    // Handles are released on the loop's next turns once closed.
    await eventually(sockets, (n) => n === before, { what: 'the warm-up server and connection to close' });
  });
});
