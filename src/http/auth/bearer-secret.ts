import { API_KEY_SECRET } from '../../access/api-key-secret';

const BEARER = /^Bearer +(\S+) *$/i;

/** The key a request sends as `Authorization: Bearer <key>`; undefined when missing or malformed. */
export function bearerSecret(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const secret = BEARER.exec(header)?.[1];
  return secret !== undefined && API_KEY_SECRET.test(secret) ? secret : undefined;
}
