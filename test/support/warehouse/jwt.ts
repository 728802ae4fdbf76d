import crypto from 'node:crypto';

/** The claims of an access token the reference warehouse checks. */
export interface AccessClaims {
  iss: string;
  aud: string | string[];
  exp: number;
  iat: number;
  scope?: string;
  jti?: string;
  client_id?: string;
  sub?: string;
}

export type JsonWebKeySet = { keys: (crypto.JsonWebKey & { kid?: string; alg?: string })[] };

function base64urlJson(part: string): unknown {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

const algorithms: Record<string, { hash: string; dsaEncoding?: 'ieee-p1363' }> = {
  ES256: { hash: 'sha256', dsaEncoding: 'ieee-p1363' },
  RS256: { hash: 'sha256' },
};

/**
 * Verifies a compact JWS access token against a JWKS (ES256/RS256) and returns its claims,
 * or a reason it is refused. Checks signature, `iss`, `aud`, `exp` (with 5 s leeway) and `iat`.
 */
export function verifyAccessToken(
  token: string,
  jwks: JsonWebKeySet,
  expected: { issuer: string; audience: string; notBefore: number; now: number },
): { ok: true; claims: AccessClaims } | { ok: false; reason: string } {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'not a JWT' };
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  let header: { alg?: string; kid?: string; typ?: string };
  let claims: AccessClaims;
  try {
    header = base64urlJson(headerPart) as typeof header;
    claims = base64urlJson(payloadPart) as AccessClaims;
  } catch {
    return { ok: false, reason: 'malformed JWT' };
  }
  const algorithm = algorithms[header.alg ?? ''];
  if (algorithm === undefined) return { ok: false, reason: `algorithm ${String(header.alg)} not accepted` };
  const jwk = jwks.keys.find((key) => key.kid === header.kid) ?? (jwks.keys.length === 1 ? jwks.keys[0] : undefined);
  if (jwk === undefined) return { ok: false, reason: 'unknown signing key' };
  const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
  const valid = crypto.verify(
    algorithm.hash,
    Buffer.from(`${headerPart}.${payloadPart}`),
    algorithm.dsaEncoding === undefined ? key : { key, dsaEncoding: algorithm.dsaEncoding },
    Buffer.from(signaturePart, 'base64url'),
  );
  if (!valid) return { ok: false, reason: 'bad signature' };
  if (claims.iss !== expected.issuer) return { ok: false, reason: 'wrong issuer' };
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(expected.audience)) return { ok: false, reason: 'wrong audience' };
  if (typeof claims.exp !== 'number' || claims.exp + 5 < expected.now) return { ok: false, reason: 'expired' };
  if (typeof claims.iat !== 'number' || claims.iat < expected.notBefore) return { ok: false, reason: 'revoked' };
  return { ok: true, claims };
}
