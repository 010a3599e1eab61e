import type { Metadata } from "next";
import { DeveloperList } from "@/components/admin/developer-list";
import { PageTitle } from "@/components/ui/basics";

export const metadata: Metadata = { title: "Developers" };

export default function DevelopersPage() {
  return (
    <>
      <PageTitle>Developers</PageTitle>
      <DeveloperList />
    </>
  );
}
