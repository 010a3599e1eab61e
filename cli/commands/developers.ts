// gatehouse developers: list and search, suspend (revokes their apps' tokens), reinstate.
import { listCommand, seg, showCommand, type Command, type Group } from "../command.ts";
import { columnsOf, details } from "../output.ts";

interface Developer {
  id: string;
  email: string;
  name: string;
  role: string;
  status: string;
  createdAt: string;
}

const columns = columnsOf<Developer>({ id: "id", email: "email", name: "name", role: "role", status: "status", since: "createdAt" });

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
    list: listCommand<Developer>("/developers", columns, { summary: "List developers", filters: { q: { value: "TEXT" }, status: { choices: ["active", "suspended"] } } }),
    get: showCommand<Developer>("/developers", { summary: "Show one developer", text: details }),
    suspend: setStatus("suspended"),
    reinstate: setStatus("active"),
  },
};
