import { Router } from 'express';
import Joi from 'joi';
import { isAllowedOrigin } from '../embed-origins';
import { validate } from '../validation';

const query = Joi.object<{ origin: string }>({
  origin: Joi.string()
    .max(500)
    .uri({ scheme: ['http', 'https'] })
    .required(),
});

/**
 * `GET /api/embed-check?origin=…`: lets a site owner's plugin ask whether its blog may embed
 * the store (the WordPress plugin's "Test connection"); answering at all proves the store is up.
 */
export function embedCheckRoutes(publicUrl: string, embedOrigins: readonly string[]): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const { origin } = validate(query, req.query, 'query');
    // joi's uri() accepts some strings the URL parser refuses (`https://host%`); isAllowedOrigin
    // parses it itself and says no to those, where `new URL` here threw a 500.
    res.json({ status: 'ok', originAllowed: isAllowedOrigin(origin, publicUrl, embedOrigins), publicUrl });
  });
  return router;
}
