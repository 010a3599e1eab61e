import type { Metadata } from "next";
import { AnalyticsDashboard } from "@/components/analytics/analytics-dashboard";
import { TitledPage } from "@/components/ui/basics";

export const metadata: Metadata = { title: "Analytics" };

export default function AdminAnalyticsPage() {
  return (
    <TitledPage title="Analytics and security metrics">
      <AnalyticsDashboard admin />
    </TitledPage>
  );
}
