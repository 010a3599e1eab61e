// oidc-provider storage adapter: clients come from the persisted ClientsStore (so registrations
// made at run time are found), everything short-lived (sessions, codes, grants, refresh tokens)
// lives in memory with lazy expiry — no timers, so stopping the server leaves nothing behind.
import type { Adapter, AdapterPayload } from "oidc-provider";
import type { ClientsStore } from "./clients-store.ts";

interface Entry {
  payload: AdapterPayload;
  expiresAt: number | null;
}

export class MemoryStorage {
  readonly entries = new Map<string, Entry>();

  get(key: string): AdapterPayload | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== null && entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  set(key: string, payload: AdapterPayload, expiresIn?: number): void {
    this.entries.set(key, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : null });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}

export function adapterFactory(storage: MemoryStorage, clients: ClientsStore) {
  return class OktaDevAdapter implements Adapter {
    constructor(private readonly model: string) {}

    private key(id: string): string {
      return `${this.model}:${id}`;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      storage.set(this.key(id), payload, expiresIn);
      if (payload.grantId) {
        const grantKey = `grant:${payload.grantId}`;
        const list = (storage.get(grantKey)?.keys as string[] | undefined) ?? [];
        storage.set(grantKey, { keys: [...list, this.key(id)] } as AdapterPayload, expiresIn);
      }
      if (payload.uid) storage.set(`${this.model}:uid:${payload.uid}`, { id } as AdapterPayload, expiresIn);
      if (payload.userCode) storage.set(`${this.model}:userCode:${payload.userCode}`, { id } as AdapterPayload, expiresIn);
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.model === "Client") return clients.find(id) as AdapterPayload | undefined;
      return storage.get(this.key(id));
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const ref = storage.get(`${this.model}:uid:${uid}`);
      return ref ? storage.get(this.key(ref.id as string)) : undefined;
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const ref = storage.get(`${this.model}:userCode:${userCode}`);
      return ref ? storage.get(this.key(ref.id as string)) : undefined;
    }

    async consume(id: string): Promise<void> {
      const payload = storage.get(this.key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }

    async destroy(id: string): Promise<void> {
      storage.delete(this.key(id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      const grantKey = `grant:${grantId}`;
      for (const key of (storage.get(grantKey)?.keys as string[] | undefined) ?? []) storage.delete(key);
      storage.delete(grantKey);
    }
  };
}
