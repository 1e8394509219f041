/** The go-plugin handshake line a provider prints on stdout once it is listening. */
export interface Handshake {
  coreVersion: string;
  appVersion: string;
  network: string;
  address: string;
  protocol: string;
  /** Base64 DER of the server certificate; empty when the plugin serves plaintext. */
  serverCert: string;
}

/** Parses `CORE|APP|NETWORK|ADDR|PROTOCOL|CERT`, or throws on a line the host would reject. */
export function parseHandshake(line: string): Handshake {
  const fields = line.trim().split('|');
  if (fields.length < 5) throw new Error(`unrecognized plugin handshake: ${JSON.stringify(line)}`);
  const [coreVersion, appVersion, network, address, protocol, serverCert = ''] = fields;
  if (coreVersion !== '1') throw new Error(`handshake core version ${coreVersion}, expected 1`);
  if (protocol !== 'grpc') throw new Error(`handshake protocol ${protocol}, expected grpc`);
  return { coreVersion, appVersion, network, address, protocol, serverCert };
}
