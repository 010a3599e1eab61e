// gatehouse audit: the audit log, newest first, filterable; it cannot be changed.
import { listCommand, type Group } from "../command.ts";
import type { Column } from "../output.ts";

interface AuditEntry {
  id: string;
  at: string;
  actorId: string | null;
  actorType: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
}

const columns: Column<AuditEntry>[] = [
  { header: "at", value: (e) => e.at },
  { header: "action", value: (e) => e.action },
  { header: "actor", value: (e) => (e.actorId ? `${e.actorType}:${e.actorId}` : e.actorType) },
  { header: "target", value: (e) => (e.targetType ? `${e.targetType}:${e.targetId ?? ""}` : null) },
  { header: "ip", value: (e) => e.ip },
];

export const audit: Group = {
  summary: "The audit log (before/after values with --json)",
  default: "list",
  commands: {
    list: listCommand<AuditEntry>("/audit", columns, {
      summary: "List audit entries, newest first",
      usage: "[--action PREFIX] [--target ID] [--target-type TYPE] [--actor ID] [--since DATE] [--until DATE]",
      options: { action: { type: "string" }, target: { type: "string" }, "target-type": { type: "string" }, actor: { type: "string" }, since: { type: "string" }, until: { type: "string" } },
      query: (opts) => ({
        action: opts.string("action"),
        targetId: opts.string("target"),
        targetType: opts.string("target-type"),
        actorId: opts.string("actor"),
        since: opts.string("since"),
        until: opts.string("until"),
      }),
    }),
  },
};
