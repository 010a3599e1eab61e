// An app's credentials as a table, for its owner (who confirms a revoke) and for an admin.
import type { ReactNode } from "react";
import type { CredentialView } from "@/lib/portal/views";
import { formatDate, StatusBadge } from "../ui/basics";
import { CredentialLifetime } from "./credential-lifecycle";
import { CopyButton } from "../ui/copy-button";
import { HeadedTable } from "../ui/headed-table";

/**
 * An app's credentials, one row each; `action` is the last cell's content (what this viewer may
 * do to an active credential). `noSecret` stands where a credential has no secret (a public client).
 */
export function CredentialTable({
  credentials,
  noSecret,
  withCreated,
  action,
}: {
  credentials: CredentialView[];
  noSecret: string;
  withCreated?: boolean;
  action: (credential: CredentialView) => ReactNode;
}) {
  return (
    <HeadedTable headers={["client_id", "Secret", "Status", "Works until", ...(withCreated ? ["Created"] : []), ""]}>
      {credentials.map((c) => (
        <tr key={c.id} data-testid={`credential-${c.clientId}`} className="border-t border-slate-100">
          <td className="py-2 font-mono">
            <span className="break-all">{c.clientId}</span> <CopyButton value={c.clientId} label="Copy client ID" testId="copy-client-id" />
          </td>
          <td className="font-mono">{c.secretHint ?? noSecret}</td>
          <td>
            <StatusBadge status={c.status} testId="credential-status" />
          </td>
          <td>
            <CredentialLifetime credential={c} replacedBy={credentials.find((other) => other.id === c.replacedById)?.clientId} />
          </td>
          {withCreated ? <td>{formatDate(c.createdAt)}</td> : null}
          <td className="text-right">{c.status === "active" ? action(c) : null}</td>
        </tr>
      ))}
    </HeadedTable>
  );
}
