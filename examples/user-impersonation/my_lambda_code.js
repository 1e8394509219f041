// The impersonation Lambda: Sym invokes it with the request once approved (escalate) and again
// when access expires or is revoked (deescalate). It records the grant in the application.
const grants = new Map();

export async function handler(event) {
  const requester = event.run?.actor?.user?.email ?? event.user?.email;
  const impersonated = event.fields?.user_id;
  if (!requester || !impersonated) {
    return { statusCode: 400, body: JSON.stringify({ error: 'missing requester or user_id' }) };
  }

  if (event.type === 'escalate') {
    grants.set(requester, impersonated);
  } else if (event.type === 'deescalate') {
    grants.delete(requester);
  } else {
    return { statusCode: 400, body: JSON.stringify({ error: `unknown event ${event.type}` }) };
  }
  return { statusCode: 200, body: JSON.stringify({ requester, impersonated, type: event.type }) };
}
