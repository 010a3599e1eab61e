// The page behind /admin/{kind}/{id} for products and proxies: `new` creates, any other id edits
// that one (an unknown id is the not-found page). The form is the kind's own.
import type { ComponentType } from "react";
import { orNotFound, requireAdmin } from "@/lib/auth/viewer";
import type { Actor, PortalContext } from "@/lib/portal/context";
import { Card, TitledPage } from "../ui/basics";

export function editorPage<T extends { name: string }>(
  kind: "products" | "proxies",
  noun: string,
  load: (ctx: PortalContext, actor: Actor, id: string) => Promise<T>,
  Form: ComponentType<{ initial?: T }>,
) {
  return async function EditorPage({ params }: { params: Promise<{ id: string }> }) {
    const { id } = await params;
    const { ctx, actor } = await requireAdmin(`/admin/${kind}/${id}`);
    const item = id === "new" ? undefined : await orNotFound(load(ctx, actor, id));
    return (
      <TitledPage title={item ? `Edit ${item.name}` : `New ${noun}`}>
        <Card>
          <Form initial={item} />
        </Card>
      </TitledPage>
    );
  };
}
