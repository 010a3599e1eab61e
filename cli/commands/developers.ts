// gatehouse developers: list and search, suspend (revokes their apps' tokens), reinstate.
import { parseChoice } from "../args.ts";
import { listCommand, seg, type Command, type Group } from "../command.ts";
import { details, type Column } from "../output.ts";

interface Developer {
  id: string;
  email: string;
  name: string;
  role: string;
  status: string;
  createdAt: string;
}

const columns: Column<Developer>[] = [
  { header: "id", value: (d) => d.id },
  { header: "email", value: (d) => d.email },
  { header: "name", value: (d) => d.name },
  { header: "role", value: (d) => d.role },
  { header: "status", value: (d) => d.status },
  { header: "since", value: (d) => d.createdAt },
];

function setStatus(status: "active" | "suspended"): Command {
  return {
    summary: status === "suspended" ? "Suspend a developer and revoke their apps' tokens" : "Reinstate a suspended developer",
    args: ["<id>"],
    async run({ client, args }) {
      const dev = await client.put<Developer>(`/developers/${seg(args[0]!)}/status`, { status });
      return { data: dev, text: `Developer ${dev.email} (${dev.id}) is ${dev.status}` };
    },
  };
}

export const developers: Group = {
  summary: "Developers: search, suspend, reinstate",
  commands: {
    list: listCommand<Developer>("/developers", columns, {
      summary: "List developers",
      usage: "[--q TEXT] [--status active|suspended]",
      options: { q: { type: "string" }, status: { type: "string" } },
      query: (opts) => ({ q: opts.string("q"), status: opts.has("status") ? parseChoice("status", opts.string("status")!, ["active", "suspended"]) : undefined }),
    }),
    get: {
      summary: "Show one developer",
      args: ["<id>"],
      async run({ client, args }) {
        const dev = await client.get<Developer>(`/developers/${seg(args[0]!)}`);
        return { data: dev, text: details({ ...dev }) };
      },
    },
    suspend: setStatus("suspended"),
    reinstate: setStatus("active"),
  },
};
