// Secrets for a first run with nothing configured: generated once, kept in DATA_DIR so that
// sessions and encrypted data survive restarts. Never used in production unless the operator
// opts in with GATEHOUSE_DEV_DEFAULTS=true.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

const DevSecretsFile = z.object({
  encryptionKey: z.string().length(44),
  sessionSecret: z.string().min(32),
});
export type DevSecrets = z.infer<typeof DevSecretsFile>;

export function loadOrCreateDevSecrets(dataDir: string): DevSecrets {
  const file = join(dataDir, "secrets.json");
  const read = () => DevSecretsFile.parse(JSON.parse(readFileSync(file, "utf8")));
  try {
    return read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new Error(`${file} is unreadable or malformed; delete it to generate new development secrets`);
    }
  }
  mkdirSync(dataDir, { recursive: true });
  const fresh: DevSecrets = {
    encryptionKey: randomBytes(32).toString("base64"),
    sessionSecret: randomBytes(32).toString("base64url"),
  };
  try {
    // "wx": when two processes start at once, the second one reads the first one's file.
    writeFileSync(file, JSON.stringify(fresh, null, 2) + "\n", { flag: "wx", mode: 0o600 });
    return fresh;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return read();
    throw error;
  }
}
