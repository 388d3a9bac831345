// A standards-strict OpenID provider for the tests: panva's oidc-provider (OpenID certified) in its
// default settings, so the ID token carries `sub` and no email; the email comes from the userinfo
// endpoint. Clients register themselves (RFC 7591); the accounts are read from a JSON file the test
// writes ({"login": {"email": ..., "email_verified": ...}}). Started by tests/oidc_provider.py.
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const [port, accountsFile] = process.argv.slice(2);
const provider = new Provider(`http://localhost:${port}`, {
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  features: { devInteractions: { enabled: true }, registration: { enabled: true } },
  findAccount: (ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, ...JSON.parse(readFileSync(accountsFile, 'utf8'))[id] }),
  }),
  cookies: { keys: ['actiontrack-tests-only'] },
});
provider.listen(Number(port), '127.0.0.1', () => console.log('listening'));
