import type { Metadata } from "next";
import { requireViewer } from "@/lib/auth/viewer";
import { AnalyticsDashboard } from "@/components/analytics/analytics-dashboard";
import { TitledPage } from "@/components/ui/basics";

export const metadata: Metadata = { title: "Analytics" };

/** The signed-in developer's analytics: every app they own (the API scopes it, whoever asks). */
export default async function DeveloperAnalyticsPage() {
  await requireViewer("/analytics");
  return (
    <TitledPage title="Analytics of my apps">
      <AnalyticsDashboard admin={false} />
    </TitledPage>
  );
}
