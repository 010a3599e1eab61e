// gatehouse keys: your own admin API keys — list (hints only), create (shown once), revoke.
// Rotation: create a new key, switch GATEHOUSE_API_KEY to it, revoke the old one.
import type { AdminApiKeyView } from "../../lib/portal/admin-api-key-view.ts";
import { UsageError } from "../errors.ts";
import { deleteCommand, type Group } from "../command.ts";
import { columnsOf, table } from "../output.ts";

const columns = columnsOf<AdminApiKeyView>({ id: "id", name: "name", key: "keyHint", created: "createdAt", "last used": "lastUsedAt", revoked: "revokedAt" });

export const keys: Group = {
  summary: "Your admin API keys: list, create, revoke",
  commands: {
    list: {
      summary: "List your admin API keys (hints only)",
      async run({ client }) {
        const page = await client.get<{ items: AdminApiKeyView[]; nextCursor: null }>("/admin-api-keys");
        return { data: page, text: table(page.items, columns) };
      },
    },
    create: {
      summary: "Create an admin API key (shown once)",
      usage: "--name NAME",
      options: { name: { type: "string" } },
      async run({ client, opts }) {
        const name = opts.string("name");
        if (!name?.trim()) throw new UsageError("--name is required");
        const created = await client.post<AdminApiKeyView & { key: string }>("/admin-api-keys", { name });
        return { data: created, text: created.key, note: `Created admin API key ${created.name} (${created.id}); the key is shown only this once.` };
      },
    },
    revoke: deleteCommand("/admin-api-keys", { summary: "Revoke one of your admin API keys", done: (id) => `Revoked admin API key ${id}` }),
  },
};
