/** Finds a free TCP port on the loopback interface. */
import net from 'node:net';

/** A port that was free a moment ago on 127.0.0.1 (the OS picks it; we release it before use). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('no port'));
      server.close(() => resolve(address.port));
    });
  });
}
