import type { Metadata } from "next";
import { AnalyticsDashboard } from "@/components/analytics/analytics-dashboard";
import { PageTitle } from "@/components/ui/basics";

export const metadata: Metadata = { title: "Analytics" };

export default function AdminAnalyticsPage() {
  return (
    <>
      <PageTitle>Analytics and security metrics</PageTitle>
      <AnalyticsDashboard admin />
    </>
  );
}
