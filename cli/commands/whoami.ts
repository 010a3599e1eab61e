// gatehouse whoami: which admin the API key acts for — a quick check of --url and --api-key.
import type { Group } from "../command.ts";
import { details } from "../output.ts";

export const whoami: Group = {
  summary: "Show the admin the API key belongs to",
  default: "show",
  commands: {
    show: {
      summary: "Show the admin the API key belongs to",
      async run({ client }) {
        const me = await client.get<Record<string, unknown>>("/me");
        return { data: me, text: details(me) };
      },
    },
  },
};
