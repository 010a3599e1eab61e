"use client";
// The developer's initial access tokens for dynamic client registration: create one (its value
// shown once), list them with their use, revoke. Forms post to server actions, so everything
// works before JavaScript loads; a refused form keeps what was typed and says what to fix.
import { useQueryClient } from "@tanstack/react-query";
import { useActionState, useEffect, useState } from "react";
import { createRegistrationTokenAction, revokeRegistrationTokenAction, type TokenFormState } from "@/app/apps/registration-tokens/actions";
import { fieldError, keptValue, keptValues } from "@/lib/auth/form-state";
import type { InitialAccessTokenView } from "@/lib/portal/initial-access-tokens";
import type { Page } from "@/lib/portal/pagination";
import type { ProductView } from "@/lib/portal/views";
import { buttonClass, formatDate, inputClass, StatusBadge } from "../ui/basics";
import { ConfirmAction } from "../ui/confirm-action";
import { FormAlert, FormField } from "../ui/form-fields";
import { usePagedList } from "../ui/load-more";
import { PagedTable } from "../ui/paged-table";
import { SecretPanel } from "./secret-panel";
import { ProductChoices } from "./product-choices";

const PAGE = "/apps/registration-tokens";

export function RegistrationTokens({
  ownerId,
  products,
  initial,
}: {
  ownerId: string;
  products: Pick<ProductView, "id" | "slug" | "name" | "approvalType">[];
  initial?: Page<InitialAccessTokenView>;
}) {
  const list = usePagedList<InitialAccessTokenView>("/initial-access-tokens", { ownerId }, initial);
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ["/initial-access-tokens"] });
  const [state, create, pending] = useActionState(createRegistrationTokenAction, {} as TokenFormState, PAGE);
  useEffect(() => {
    if (state.created) void queryClient.invalidateQueries({ queryKey: ["/initial-access-tokens"] });
  }, [state, queryClient]);
  // The token lives only in this answer; dismissing hides it for good.
  const [dismissed, setDismissed] = useState<number | undefined>(undefined);
  const issued = state.created && dismissed !== state.attempt ? state.created : null;
  const selected = keptValues(state, "products");
  const productsError = fieldError(state, "products");
  return (
    <div className="space-y-6">
      {issued ? (
        <SecretPanel
          clientId={issued.label}
          secret={issued.token}
          onDismiss={() => setDismissed(state.attempt)}
          labels={{ title: "Copy your initial access token now", id: "label", secret: "token", lost: "create a new token and revoke this one" }}
        />
      ) : null}
      <form action={create} className="space-y-4" aria-label="New initial access token" key={issued ? `created-${state.attempt}` : "form"}>
        <FormAlert message={state.formError} />
        <FormField label="Label" name="label" error={fieldError(state, "label")}>
          {(props) => <input {...props} className={inputClass} defaultValue={issued ? "" : keptValue(state, "label")} required maxLength={80} placeholder="CI pipeline" />}
        </FormField>
        <div className="grid gap-4 sm:grid-cols-2">
          <FormField label="Expires after (days, empty for never)" name="expiresInDays" error={fieldError(state, "expiresInDays")}>
            {(props) => <input {...props} className={inputClass} inputMode="numeric" defaultValue={issued ? "" : keptValue(state, "expiresInDays")} placeholder="30" />}
          </FormField>
          <FormField label="Maximum registrations (empty for no limit)" name="maxRegistrations" error={fieldError(state, "maxRegistrations")}>
            {(props) => <input {...props} className={inputClass} inputMode="numeric" defaultValue={issued ? "" : keptValue(state, "maxRegistrations")} placeholder="10" />}
          </FormField>
        </div>
        <ProductChoices legend="API products every registered app asks for" products={products} isChecked={(p) => !issued && selected.includes(p.slug)} error={productsError} />
        <button type="submit" className={buttonClass} disabled={pending}>
          Create token
        </button>
      </form>
      <PagedTable
        list={list}
        empty="No initial access tokens yet."
        headers={["Label", "Created", "Last used", "Registrations", "Expires", "Status", ""]}
        rowClassName="align-top"
        cells={(t) => (
          <>
            <td className="p-2">
              {t.label}
              {t.products.length ? <div className="text-xs text-slate-500">{t.products.join(", ")}</div> : null}
            </td>
            <td>{formatDate(t.createdAt)}</td>
            <td>{formatDate(t.lastUsedAt)}</td>
            <td>
              {t.registrations}
              {t.maxRegistrations !== null ? ` / ${t.maxRegistrations}` : ""}
            </td>
            <td>{t.expiresAt ? formatDate(t.expiresAt) : "never"}</td>
            <td>
              <StatusBadge status={t.status} />
            </td>
            <td className="p-2 text-right">
              {t.status === "revoked" ? null : (
                <ConfirmAction
                  action={revokeRegistrationTokenAction}
                  fields={{ tokenId: t.id, label: t.label }}
                  label="Revoke…"
                  confirm="Yes, revoke"
                  consequence={`Revoke ${t.label}? Software using it can no longer register clients; the apps it already registered keep working.`}
                  onDone={refresh}
                />
              )}
            </td>
          </>
        )}
      />
    </div>
  );
}
