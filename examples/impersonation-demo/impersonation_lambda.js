// The impersonation Lambda of the demo: invoked with the request once approved (escalate) and
// when access expires or is revoked (deescalate). A real app would write the grant to its
// database here; the demo answers what it would write.
export async function handler(event) {
  const requester = event.run?.actor?.user?.email ?? event.user?.email;
  const customer = event.fields?.user_id;
  if (!requester || !customer) {
    return { statusCode: 400, body: JSON.stringify({ error: 'missing requester or user_id' }) };
  }
  if (event.type !== 'escalate' && event.type !== 'deescalate') {
    return { statusCode: 400, body: JSON.stringify({ error: `unknown event ${event.type}` }) };
  }
  return { statusCode: 200, body: JSON.stringify({ requester, customer, type: event.type }) };
}
