// gatehouse registration-tokens: initial access tokens for dynamic client registration
// (POST /oauth/register, RFC 7591) — list (everyone's, for an admin), create (shown once), revoke.
// Revoking stops new registrations; clients already registered with the token stay.
import type { InitialAccessTokenView } from "../../lib/portal/initial-access-tokens.ts";
import { parseInteger } from "../args.ts";
import { deleteCommand, listCommand, type Group } from "../command.ts";
import { columnsOf } from "../output.ts";
import { UsageError } from "../errors.ts";

const columns = columnsOf<InitialAccessTokenView>({
  id: "id",
  label: "label",
  owner: (t) => t.owner?.email ?? t.ownerId,
  products: (t) => t.products.join(","),
  registrations: (t) => `${t.registrations}${t.maxRegistrations !== null ? `/${t.maxRegistrations}` : ""}`,
  expires: "expiresAt",
  "last used": "lastUsedAt",
  status: "status",
});

export const registrationTokens: Group = {
  summary: "Initial access tokens for dynamic client registration: list, create, revoke",
  commands: {
    list: listCommand<InitialAccessTokenView>("/initial-access-tokens", columns, {
      summary: "List initial access tokens (an admin sees everyone's)",
      filters: { owner: { param: "ownerId", value: "DEVELOPER_ID" } },
    }),
    create: {
      summary: "Create an initial access token for POST /oauth/register (shown once)",
      usage: "--label LABEL [--expires-in-days N] [--max-registrations N] [--product SLUG]...",
      options: { label: { type: "string" }, "expires-in-days": { type: "string" }, "max-registrations": { type: "string" }, product: { type: "string", multiple: true } },
      async run({ client, opts }) {
        const label = opts.string("label");
        if (!label?.trim()) throw new UsageError("--label is required");
        const days = opts.string("expires-in-days");
        const max = opts.string("max-registrations");
        const created = await client.post<InitialAccessTokenView & { token: string }>("/initial-access-tokens", {
          label,
          ...(days ? { expiresInDays: parseInteger("expires-in-days", days, 1) } : {}),
          ...(max ? { maxRegistrations: parseInteger("max-registrations", max, 1) } : {}),
          products: opts.list("product") ?? [],
        });
        return { data: created, text: created.token, note: `Created initial access token ${created.label} (${created.id}); the token is shown only this once.` };
      },
    },
    revoke: deleteCommand("/initial-access-tokens", {
      summary: "Revoke an initial access token (clients it registered stay)",
      done: (id) => `Revoked initial access token ${id}`,
    }),
  },
};
