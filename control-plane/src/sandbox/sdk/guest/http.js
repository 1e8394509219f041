// sym/http (types: ../sym-sdk.d.ts): Python-requests-like synchronous HTTP through the host.
import { request, HTTPError } from 'sym/_http';
export { HTTPError };
/** @type {typeof import('sym/http').get} */
export const get = (url, options) => request('GET', url, options);
/** @type {typeof import('sym/http').post} */
export const post = (url, options) => request('POST', url, options);
/** @type {typeof import('sym/http').put} */
export const put = (url, options) => request('PUT', url, options);
/** @type {typeof import('sym/http').patch} */
export const patch = (url, options) => request('PATCH', url, options);
/** @type {typeof import('sym/http').delete} */
const del = (url, options) => request('DELETE', url, options);
export { del as delete };
export default Object.freeze({ get, post, put, patch, delete: del, HTTPError });
