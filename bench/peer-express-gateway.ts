// A peer of bench/peers.ts: express-gateway 1.16 proxying to `upstream` with key-auth and
// rate-limit (a limit the load never reaches), its in-memory ("emulated Redis") store, one
// user and one key-auth credential. Prints `port key` on stdout. express-gateway is not a
// dependency of Gatehouse: it is loaded from PEERS_DIR (see bench/peers.ts).
// Usage: tsx bench/peer-express-gateway.ts <upstream>
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const upstream = process.argv[2]!;
const peersDir = process.env.PEERS_DIR ?? "/work/bench-peers";
const require = createRequire(join(peersDir, "package.json"));
const packageDir = join(require.resolve("express-gateway/package.json"), "..");

const dir = mkdtempSync(join(tmpdir(), "eg-bench-"));
mkdirSync(join(dir, "models"));
cpSync(join(packageDir, "lib", "config", "models"), join(dir, "models"), { recursive: true });
writeFileSync(
  join(dir, "system.config.yml"),
  "db:\n  redis:\n    emulate: true\n    namespace: EG\ncrypto:\n  cipherKey: bench\n  algorithm: aes256\n  saltRounds: 10\nsession:\n  secret: bench\n  resave: false\n  saveUninitialized: false\n" +
    "accessTokens:\n  timeToExpiry: 7200000\nrefreshTokens:\n  timeToExpiry: 7200000\nauthorizationCodes:\n  timeToExpiry: 300000\n",
);
writeFileSync(
  join(dir, "gateway.config.yml"),
  `http:\n  hostname: 127.0.0.1\n  port: 0\napiEndpoints:\n  api:\n    paths: '/gateway/bench/v1/*'\nserviceEndpoints:\n  backend:\n    url: '${upstream}'\n` +
    "policies:\n  - key-auth\n  - rate-limit\n  - proxy\npipelines:\n  default:\n    apiEndpoints:\n      - api\n    policies:\n" +
    "      - key-auth:\n      - rate-limit:\n          - action:\n              max: 1000000000\n              windowMs: 60000\n              delayAfter: 0\n              delayMs: 0\n" +
    "      - proxy:\n          - action:\n              serviceEndpoint: backend\n              stripPath: true\n",
);
process.env.LOG_LEVEL = "error";
const [{ app: gateway }] = (await require("express-gateway")().load(dir).run()) as [{ app: { address(): { port: number } } }];
const services = require("express-gateway/lib/services") as {
  user: { insert(user: object): Promise<{ id: string }> };
  credential: { insertCredential(id: string, type: string, credential: object): Promise<{ keyId: string; keySecret: string }> };
};
const user = await services.user.insert({ username: "bench", firstname: "Bench", lastname: "Peer" });
const key = await services.credential.insertCredential(user.id, "key-auth", {});
console.log(`${gateway.address().port} ${key.keyId}:${key.keySecret}`);
