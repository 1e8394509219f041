/** The demo's customers: what a support engineer would open "as" someone. */
export interface Customer {
  id: string;
  name: string;
  plan: string;
  email: string;
}

/** A fixed customer list (the demo keeps no database). */
export const customers: Customer[] = [
  { id: '42', name: 'Ada Lovelace', plan: 'Enterprise', email: 'ada@analytical.example' },
  { id: '7', name: 'Grace Hopper', plan: 'Team', email: 'grace@cobol.example' },
  { id: '1337', name: 'Alan Turing', plan: 'Free', email: 'alan@bletchley.example' },
];
