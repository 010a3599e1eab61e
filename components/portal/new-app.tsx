"use client";
import { createAppAction } from "@/app/apps/actions";
import type { ProductView } from "@/lib/portal/views";
import { AppForm } from "./app-form";

/** The "new app" form; on success the server sends the browser to the app, its secret shown there once. */
export function NewApp({ products }: { products: ProductView[] }) {
  return <AppForm mode="create" products={products} action={createAppAction} permalink="/apps/new" />;
}
