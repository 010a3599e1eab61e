// gatehouse audit: the audit log, newest first, filterable; it cannot be changed.
import type { AuditView } from "../../lib/portal/audit.ts";
import { listCommand, type Group } from "../command.ts";
import { columnsOf } from "../output.ts";

const columns = columnsOf<AuditView>({
  at: "at",
  action: "action",
  actor: (e) => (e.actorId ? `${e.actorType}:${e.actorId}` : e.actorType),
  target: (e) => (e.targetType ? `${e.targetType}:${e.targetId ?? ""}` : null),
  ip: "ip",
});

export const audit: Group = {
  summary: "The audit log (before/after values with --json)",
  default: "list",
  commands: {
    list: listCommand<AuditView>("/audit", columns, {
      summary: "List audit entries, newest first",
      filters: {
        action: { value: "PREFIX" },
        target: { param: "targetId", value: "ID" },
        "target-type": { param: "targetType", value: "TYPE" },
        actor: { param: "actorId", value: "ID" },
        since: { value: "DATE" },
        until: { value: "DATE" },
      },
    }),
  },
};
