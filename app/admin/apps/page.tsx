import type { Metadata } from "next";
import { AdminAppList } from "@/components/admin/admin-app-list";
import { PageTitle } from "@/components/ui/basics";

export const metadata: Metadata = { title: "All apps" };

export default async function AdminAppsPage({ searchParams }: { searchParams: Promise<{ ownerId?: string }> }) {
  const { ownerId } = await searchParams;
  return (
    <>
      <PageTitle>Apps</PageTitle>
      <AdminAppList ownerId={typeof ownerId === "string" ? ownerId : undefined} />
    </>
  );
}
