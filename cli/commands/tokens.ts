// gatehouse tokens: revoke every token of an end user (across apps) or of a developer's apps.
// (One app's tokens: `gatehouse apps revoke-tokens`.)
import { UsageError } from "../errors.ts";
import type { Group } from "../command.ts";

export const tokens: Group = {
  summary: "Token revocation for an end user or a developer",
  commands: {
    revoke: {
      summary: "Revoke every token of an end user (--user SUB) or of a developer's apps (--developer ID)",
      usage: "--user SUB | --developer ID",
      options: { user: { type: "string" }, developer: { type: "string" } },
      async run({ client, opts }) {
        const user = opts.string("user");
        const developer = opts.string("developer");
        if (!user === !developer) throw new UsageError("give exactly one of --user SUB or --developer ID");
        const result = await client.post<{ revoked: number }>("/tokens/revoke", user ? { userSub: user } : { developerId: developer });
        return { data: result, text: `Revoked ${result.revoked} token(s) of ${user ? `end user ${user}` : `developer ${developer}`}` };
      },
    },
  },
};
