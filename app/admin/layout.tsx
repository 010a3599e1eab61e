import type { ReactNode } from "react";
import { requireAdmin } from "@/lib/auth/viewer";
import { AdminNav } from "@/components/admin/admin-nav";

/** Every /admin page: admins only (others get the not-found page; the API refuses them too). */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requireAdmin("/admin");
  return (
    <div className="grid gap-8 md:grid-cols-[12rem_1fr]">
      <AdminNav />
      <div className="min-w-0">{children}</div>
    </div>
  );
}
