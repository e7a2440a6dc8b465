import { createServer, type Server } from 'node:http';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import express, { type Express } from 'express';

/** An express app on a Node HTTP server, without the `x-powered-by` banner. */
export function createHttpApp(): { app: Express; httpServer: Server } {
  const app = express();
  app.disable('x-powered-by');
  return { app, httpServer: createServer(app) };
}

/** Plugins every Apollo server of ours needs: drain open requests on stop, no inline traces. */
export function drainPlugins<C extends BaseContext>(httpServer: Server): ApolloServerPlugin<C>[] {
  return [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginInlineTraceDisabled()];
}
