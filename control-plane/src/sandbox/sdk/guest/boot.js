// sym/_boot: what the worker evaluates before user code to obtain the internals it calls.
export { invoke, fromJson } from 'sym/_core';
