// OIDC client registrations (seeded ones and those made through dynamic client registration),
// persisted as clients.json and read by oidc-provider through the adapter on every lookup, so a
// client registered at run time works at once. Secrets are kept as issued because
// oidc-provider compares client_secret_basic/post values itself.
import { JsonFile } from "./persistence.ts";

export interface ClientMetadata {
  client_id: string;
  client_secret?: string;
  client_name?: string;
  client_id_issued_at?: number;
  client_secret_expires_at?: number;
  redirect_uris?: string[];
  post_logout_redirect_uris?: string[];
  grant_types?: string[];
  response_types?: string[];
  token_endpoint_auth_method?: string;
  application_type?: string;
  scope?: string;
  custom_scopes?: string;
  [key: string]: unknown;
}

export class ClientsStore {
  private readonly file: JsonFile<ClientMetadata[]>;
  private clients: ClientMetadata[];

  constructor(dataDir: string) {
    this.file = new JsonFile(dataDir, "clients.json");
    this.clients = this.file.read([]);
  }

  find(clientId: string): ClientMetadata | undefined {
    return this.clients.find((c) => c.client_id === clientId);
  }

  list(): ClientMetadata[] {
    return [...this.clients];
  }

  upsert(client: ClientMetadata): void {
    this.clients = [...this.clients.filter((c) => c.client_id !== client.client_id), client];
    this.file.write(this.clients);
  }

  remove(clientId: string): boolean {
    const before = this.clients.length;
    this.clients = this.clients.filter((c) => c.client_id !== clientId);
    this.file.write(this.clients);
    return this.clients.length !== before;
  }
}
