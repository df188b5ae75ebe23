import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren, VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { csrfTokenFor } from './csrf.js';
import { Layout, type PageFrame } from './views/layout.js';

export function frameFor(request: FastifyRequest): PageFrame {
  const config = request.server.ctx.config;
  return {
    operatorName: config.operatorName,
    officialAddress: config.officialAddress,
    actor: request.actor,
    csrfToken: request.actor ? request.sessionCsrf : null,
    demoMode: config.demoMode,
    passkeyDeadline: request.passkeyDeadline,
  };
}

/** JSX escapes every interpolated value, so user input can never become markup. */
export function renderDocument(node: VNode): string {
  return `<!doctype html>\n${renderToString(node)}`;
}

/**
 * Sends a full page. `body` receives the CSRF token to embed in its forms.
 */
export function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  title: string,
  body: (csrfToken: string) => ComponentChildren,
  status = 200,
) {
  const token = csrfTokenFor(request, reply, request.server.ctx.config);
  const frame = frameFor(request);
  const html = renderDocument(
    <Layout frame={frame} title={title}>
      {body(token)}
    </Layout>,
  );
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}
