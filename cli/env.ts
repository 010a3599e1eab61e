// The CLI's own environment: the only place in cli/ that reads process.env. Flags win over
// these; the server's configuration (lib/config) is none of the CLI's business.
export interface CliEnv {
  url: string | undefined;
  apiKey: string | undefined;
}

export function readCliEnv(env: Record<string, string | undefined> = process.env): CliEnv {
  return { url: env.GATEHOUSE_URL || undefined, apiKey: env.GATEHOUSE_API_KEY || undefined };
}
