// What a seed created (or found): the tenant, its users and their password, how many documents.
export interface SeedReport {
  company: { id: string; name: string; iinBin: string };
  users: { iin: string; fullName: string; role: string; password: string }[];
  documents: number;
  created: boolean;
  ms: number;
}
