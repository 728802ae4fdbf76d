// A private certificate authority made with openssl for a test or benchmark, as provinces run
// their own: a CA certificate (what the station gets as warehouse.caBundleFile) and a server
// certificate for the reference warehouse.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface TestCa {
  caFile: string;
  keyFile: string;
  certFile: string;
}

/** Makes a CA and a server certificate for `hosts` (IP addresses or names) under `dir`. */
export function makeTestCa(dir: string, hosts: string[] = ['127.0.0.1', 'localhost']): TestCa {
  fs.mkdirSync(dir, { recursive: true });
  const file = (name: string): string => path.join(dir, name);
  const openssl = (args: string[]): void => void execFileSync('openssl', args, { stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=SoHoa Test Provincial CA',
  ]);
  openssl([
    'req',
    ...ec,
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
    '-subj',
    `/CN=${hosts[0] ?? 'localhost'}`,
  ]);
  const names = hosts.map((host) => (/^[\d.]+$|:/.test(host) ? `IP:${host}` : `DNS:${host}`)).join(',');
  fs.writeFileSync(file('ext.cnf'), `subjectAltName=${names}\nextendedKeyUsage=serverAuth\n`);
  openssl([
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('server.pem'),
    '-days',
    '2',
    '-extfile',
    file('ext.cnf'),
  ]);
  return { caFile: file('ca.pem'), keyFile: file('server.key'), certFile: file('server.pem') };
}
