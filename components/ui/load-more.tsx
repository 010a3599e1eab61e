"use client";
// Cursor pagination for every list: the first page may come from the server render, the rest
// from the API with `cursor` = the previous page's `nextCursor`.
import { useInfiniteQuery } from "@tanstack/react-query";
import { api, type Page } from "../api-client";

export function usePagedList<T>(path: string, query: Record<string, string | undefined> = {}, initial?: Page<T>) {
  const result = useInfiniteQuery({
    queryKey: [path, query],
    queryFn: ({ pageParam }) => api<Page<T>>(path, { query: { ...query, cursor: pageParam ?? undefined } }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    ...(initial ? { initialData: { pages: [initial], pageParams: [null] } } : {}),
  });
  const items = result.data?.pages.flatMap((p) => p.items) ?? [];
  return { ...result, items };
}

export function LoadMore({ list }: { list: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown } }) {
  if (!list.hasNextPage) return null;
  return (
    <div className="mt-4 text-center">
      <button
        type="button"
        className="rounded border border-slate-300 bg-white px-4 py-2 text-sm hover:bg-slate-50"
        disabled={list.isFetchingNextPage}
        onClick={() => void list.fetchNextPage()}
      >
        {list.isFetchingNextPage ? "Loading…" : "Load more"}
      </button>
    </div>
  );
}
