"use client";
// Whether React has hydrated this page: false in the server's HTML and during hydration, true
// after. For controls that only work with script (they stay hidden or static until then).
import { useSyncExternalStore } from "react";

const never = () => () => {};

export function useHydrated(): boolean {
  return useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
}
