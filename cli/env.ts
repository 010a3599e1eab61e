// The CLI's own environment: the only place in cli/ that reads process.env. Flags win over
// these; the server's configuration (lib/config) is none of the CLI's business.
export interface CliEnv {
  url: string | undefined;
  apiKey: string | undefined;
  /** An automation app's client credentials (its products must grant `gatehouse:admin`). */
  clientId?: string;
  clientSecret?: string;
  /** Where tokens obtained with those credentials are cached, encrypted. */
  tokenFile?: string;
}

export function readCliEnv(env: Record<string, string | undefined> = process.env): CliEnv {
  const configHome = env.XDG_CONFIG_HOME || (env.HOME ? `${env.HOME}/.config` : undefined);
  return {
    url: env.GATEHOUSE_URL || undefined,
    apiKey: env.GATEHOUSE_API_KEY || undefined,
    clientId: env.GATEHOUSE_CLIENT_ID || undefined,
    clientSecret: env.GATEHOUSE_CLIENT_SECRET || undefined,
    tokenFile: configHome ? `${configHome}/gatehouse/tokens.json` : undefined,
  };
}
