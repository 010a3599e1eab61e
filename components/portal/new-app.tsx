"use client";
import { createAppAction } from "@/app/apps/actions";
import type { ProductView } from "@/lib/portal/views";
import { AppForm } from "./app-form";

/** The "new app" form; on success the server sends the browser to the app, its secret shown there once. */
export function NewApp({ products, teams, teamId }: { products: ProductView[]; teams: { id: string; name: string }[]; teamId?: string }) {
  return <AppForm mode="create" products={products} teams={teams} initial={{ teamId: teamId ?? "" }} action={createAppAction} permalink="/apps/new" />;
}
