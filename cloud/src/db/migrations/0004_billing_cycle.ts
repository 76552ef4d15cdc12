// The monthly billing cycle issues one tariff invoice per company and month: the database makes a second one impossible.
export const statements: string[] = [
  `create unique index invoices_company_period on invoices (company_id, period) where branch_id is null`,
];
