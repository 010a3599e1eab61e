// gatehouse keys: your own admin API keys — list (hints only), create (shown once), revoke.
// Rotation: create a new key, switch GATEHOUSE_API_KEY to it, revoke the old one.
import { UsageError } from "../errors.ts";
import { seg, type Group } from "../command.ts";
import { table } from "../output.ts";

interface KeyInfo {
  id: string;
  name: string;
  keyHint: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export const keys: Group = {
  summary: "Your admin API keys: list, create, revoke",
  commands: {
    list: {
      summary: "List your admin API keys (hints only)",
      async run({ client }) {
        const page = await client.get<{ items: KeyInfo[]; nextCursor: null }>("/admin-api-keys");
        const text = table(page.items, [
          { header: "id", value: (k) => k.id },
          { header: "name", value: (k) => k.name },
          { header: "key", value: (k) => k.keyHint },
          { header: "created", value: (k) => k.createdAt },
          { header: "last used", value: (k) => k.lastUsedAt },
          { header: "revoked", value: (k) => k.revokedAt },
        ]);
        return { data: page, text };
      },
    },
    create: {
      summary: "Create an admin API key (shown once)",
      usage: "--name NAME",
      options: { name: { type: "string" } },
      async run({ client, opts }) {
        const name = opts.string("name");
        if (!name?.trim()) throw new UsageError("--name is required");
        const created = await client.post<KeyInfo & { key: string }>("/admin-api-keys", { name });
        return { data: created, text: created.key, note: `Created admin API key ${created.name} (${created.id}); the key is shown only this once.` };
      },
    },
    revoke: {
      summary: "Revoke one of your admin API keys",
      args: ["<id>"],
      async run({ client, args }) {
        await client.delete(`/admin-api-keys/${seg(args[0]!)}`);
        return { data: undefined, text: `Revoked admin API key ${args[0]}` };
      },
    },
  },
};
