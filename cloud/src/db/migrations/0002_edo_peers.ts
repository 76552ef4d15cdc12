// EDO between tenants of the same server: an outgoing act and the incoming copy at the counterparty know each other.
export const statements: string[] = [
  `alter table acts add column peer_act_id uuid`,
  `alter table acts add column peer_company_id uuid`,
];
