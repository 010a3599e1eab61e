// How client components call the management API: same-origin fetch (the browser adds Origin,
// which the API checks for cookie-authenticated changes), JSON bodies, and problem JSON turned
// into an ApiError whose title and field messages forms can show.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly code?: string,
    readonly fields?: Record<string, string>,
  ) {
    super(title);
  }
}

export async function api<T = unknown>(path: string, init: { method?: string; body?: unknown; query?: Record<string, string | undefined> } = {}): Promise<T> {
  const url = new URL(`/api/v1${path}`, window.location.origin);
  for (const [k, v] of Object.entries(init.query ?? {})) if (v !== undefined && v !== "") url.searchParams.set(k, v);
  const res = await fetch(url, {
    method: init.method ?? "GET",
    credentials: "same-origin",
    headers: init.body !== undefined ? { "content-type": "application/json", accept: "application/json" } : { accept: "application/json" },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (!res.ok) {
    throw new ApiError(
      res.status,
      typeof data?.title === "string" ? data.title : `Request failed (${res.status})`,
      typeof data?.code === "string" ? data.code : undefined,
      data?.fields && typeof data.fields === "object" ? (data.fields as Record<string, string>) : undefined,
    );
  }
  return data as T;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
