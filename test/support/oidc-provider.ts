import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** A person at the test's identity provider: the login typed on its page is their subject (`sub`). */
export interface IdpAccount {
  email: string;
  emailVerified?: boolean;
}

export interface TestIdentityProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Registers Shirube's callback (known only once Shirube listens): until then the provider refuses. */
  register(redirectUri: string): void;
  close(): Promise<void>;
}

/**
 * A real OpenID Connect provider (the `oidc-provider` package) on a free port of 127.0.0.1, with its own
 * development login and consent pages: any password signs in the login typed, whose claims come from
 * `accounts` (keyed by subject). Its only client is Shirube, a confidential client that must send PKCE.
 */
export async function startIdentityProvider(accounts: Record<string, IdpAccount>): Promise<TestIdentityProvider> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const server = createServer((req, res) => {
    if (handler) return handler(req, res);
    res.statusCode = 503;
    res.end('not ready');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'shirube-test';
  const clientSecret = 'a-client-secret-of-the-test-provider-0123456789';
  return {
    issuer,
    clientId,
    clientSecret,
    register(redirectUri: string) {
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: clientId,
            client_secret: clientSecret,
            redirect_uris: [redirectUri],
            grant_types: ['authorization_code'],
            response_types: ['code'],
            token_endpoint_auth_method: 'client_secret_basic',
          },
        ],
        pkce: { required: () => true },
        claims: { openid: ['sub'], email: ['email', 'email_verified'] },
        cookies: { keys: ['test-provider-cookie-key-0123456789abcdef'] },
        findAccount: (_ctx, sub) => {
          const account = accounts[sub];
          if (!account) return undefined;
          return {
            accountId: sub,
            claims: () => ({ sub, email: account.email, email_verified: account.emailVerified ?? true }),
          };
        },
      });
      handler = provider.callback();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
