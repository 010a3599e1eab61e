// gatehouse credentials: an app's client credentials — list, add (rotation), revoke.
import { seg, type Group } from "../command.ts";
import { table } from "../output.ts";
import { credentialColumns, type App, type Credential } from "./apps.ts";

export const credentials: Group = {
  summary: "Client credentials of an app: list, add (rotation), revoke",
  commands: {
    list: {
      summary: "List an app's credentials",
      args: ["<appId>"],
      async run({ client, args }) {
        const app = await client.get<App>(`/apps/${seg(args[0]!)}`);
        const items = app.credentials ?? [];
        return { data: { items, nextCursor: null }, text: table(items, credentialColumns) };
      },
    },
    add: {
      summary: "Issue another credential for an app (its secret is shown once)",
      args: ["<appId>"],
      async run({ client, args }) {
        const issued = await client.post<Credential & { clientSecret: string | null }>(`/apps/${seg(args[0]!)}/credentials`);
        const lines = [`Created credential ${issued.id}`, `client_id      ${issued.clientId}`];
        if (issued.clientSecret) lines.push(`client_secret  ${issued.clientSecret}`);
        return { data: issued, text: lines.join("\n"), note: issued.clientSecret ? "The client secret is shown only this once." : undefined };
      },
    },
    revoke: {
      summary: "Revoke a credential and every token issued to it",
      args: ["<appId>", "<credentialId>"],
      async run({ client, args }) {
        const credential = await client.delete<Credential>(`/apps/${seg(args[0]!)}/credentials/${seg(args[1]!)}`);
        return { data: credential, text: `Revoked credential ${credential.id} (${credential.clientId})` };
      },
    },
  },
};
