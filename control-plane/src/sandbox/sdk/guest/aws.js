// sym/_aws: Sym's aws_sso, aws_iam and aws_lambda helpers (types: ../sym-sdk.d.ts). Each call is
// one host call (counted against the invocation's host-call limit); the control plane signs it
// with the environment's runtime role and the integration the environment names for it.
import { callHost, codeOf, freeze } from 'sym/_core';
import { AWSIAMError, AWSLambdaError, AWSSSOError } from 'sym/_exceptions';

function userOf(user, fn) {
  if (typeof user === 'string' && user) return { email: user };
  if (user && typeof user === 'object') {
    const out = {};
    if (user.id !== undefined) out.id = String(user.id);
    if (user.email !== undefined) out.email = String(user.email);
    if (user.identities && typeof user.identities === 'object') out.identities = user.identities;
    if (out.id !== undefined || out.email !== undefined) return out;
  }
  throw new TypeError(fn + '() needs a user (event.user) or an email address');
}

function groupOf(options, fn) {
  const name = typeof options === 'string' ? options : options && options.group_name;
  if (typeof name !== 'string' || !name) throw new TypeError(fn + '() needs group_name');
  return name;
}

// A vendor failure (the host says what to fix) becomes Sym's error class for that service;
// denied and timed-out host calls (limits, missing doors) keep their own errors.
function vendorCall(op, args, Failure) {
  try {
    return callHost(op, args);
  } catch (error) {
    if (codeOf(error) === 'host_error') throw new Failure('API_ERROR', /** @type {Error} */ (error).message);
    throw error;
  }
}

/** @type {typeof import('sym/sdk').aws_sso} */
export const aws_sso = freeze({
  is_user_in_group: (user, options) =>
    vendorCall('aws_sso.is_user_in_group', { user: userOf(user, 'aws_sso.is_user_in_group'), group_name: groupOf(options, 'aws_sso.is_user_in_group') }, AWSSSOError),
  users_in_group: (options) => vendorCall('aws_sso.users_in_group', { group_name: groupOf(options, 'aws_sso.users_in_group') }, AWSSSOError),
});

/** @type {typeof import('sym/sdk').aws_iam} */
export const aws_iam = freeze({
  is_user_in_group: (user, options) =>
    vendorCall('aws_iam.is_user_in_group', { user: userOf(user, 'aws_iam.is_user_in_group'), group_name: groupOf(options, 'aws_iam.is_user_in_group') }, AWSIAMError),
  users_in_group: (options) => vendorCall('aws_iam.users_in_group', { group_name: groupOf(options, 'aws_iam.users_in_group') }, AWSIAMError),
});

function lambdaArgs(arn, payload, fn) {
  if (typeof arn !== 'string' || !arn) throw new TypeError(fn + '() needs the function ARN');
  return { arn, payload: payload === undefined || payload === null ? {} : payload };
}

/** @type {typeof import('sym/sdk').aws_lambda} */
export const aws_lambda = freeze({
  invoke: (arn, payload) => vendorCall('aws_lambda.invoke', { ...lambdaArgs(arn, payload, 'aws_lambda.invoke'), async: false }, AWSLambdaError),
  invoke_async: (arn, payload) => vendorCall('aws_lambda.invoke', { ...lambdaArgs(arn, payload, 'aws_lambda.invoke_async'), async: true }, AWSLambdaError),
});
