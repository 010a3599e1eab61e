// The page behind /admin/{kind}/{id} for products and proxies: `new` creates, any other id edits
// that one (an unknown id is the not-found page). The form is the kind's own; under it, deleting
// the one shown asks first and posts natively.
import type { ComponentType, ReactNode } from "react";
import { orNotFound, requireAdmin } from "@/lib/auth/viewer";
import type { Actor, PortalContext } from "@/lib/portal/context";
import { deleteProductAction, deleteProxyAction, purgeProxyCacheAction } from "@/app/admin/actions";
import { Card, inputClass, TitledPage } from "../ui/basics";
import { ConfirmAction } from "../ui/confirm-action";

const CONSEQUENCE = {
  products: "Apps subscribed to it lose access at once, and it leaves the catalog.",
  proxies: "Its gateway path stops answering at once; the backend is no longer reachable through Gatehouse.",
};

export function editorPage<T extends { id: string; name: string }>(
  kind: "products" | "proxies",
  noun: string,
  load: (ctx: PortalContext, actor: Actor, id: string) => Promise<T>,
  Form: ComponentType<{ initial?: T }>,
  /** More cards for an existing item, under its form (a proxy's targets); `search` is the page's query. */
  extra?: (item: T, context: { ctx: PortalContext; actor: Actor; search: Record<string, string | string[] | undefined> }) => Promise<ReactNode>,
) {
  return async function EditorPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams?: Promise<Record<string, string | string[] | undefined>> }) {
    const { id } = await params;
    const search = (await searchParams) ?? {};
    const { ctx, actor } = await requireAdmin(`/admin/${kind}/${id}`);
    const item = id === "new" ? undefined : await orNotFound(load(ctx, actor, id));
    return (
      <TitledPage title={item ? `Edit ${item.name}` : `New ${noun}`}>
        <div className="space-y-6">
          <Card>
            <Form initial={item} />
          </Card>
          {item && kind === "proxies" ? (
            <Card title="Cached answers">
              <p className="mb-2 text-sm text-slate-700">
                With a response-cache policy, answers are kept and served without reaching the backend. Purging makes the next call of each go to the backend, on every instance.
              </p>
              <ConfirmAction
                action={purgeProxyCacheAction}
                fields={{ id: item.id }}
                label="Purge cache…"
                confirm="Yes, purge"
                consequence={`Purge the cached answers of ${item.name}? Their next calls reach the backend.`}
                testId="purge-cache"
              >
                <label className="mt-2 block text-sm font-medium">
                  Only paths starting with (optional, after the base path)
                  <input name="pathPrefix" className={inputClass} placeholder="/users/" />
                </label>
              </ConfirmAction>
            </Card>
          ) : null}
          {item && extra ? await extra(item, { ctx, actor, search }) : null}
          {item ? (
            <Card title={`Delete this ${noun}`}>
              <ConfirmAction
                action={kind === "products" ? deleteProductAction : deleteProxyAction}
                fields={{ id: item.id }}
                label={`Delete ${noun}…`}
                confirm={`Yes, delete ${item.name}`}
                consequence={`Delete the ${noun} ${item.name}? ${CONSEQUENCE[kind]} This cannot be undone.`}
              />
            </Card>
          ) : null}
        </div>
      </TitledPage>
    );
  };
}
