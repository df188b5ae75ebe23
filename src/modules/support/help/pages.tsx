import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { FieldError } from '../../../http/problem.js';
import { problems } from '../../../http/problem.js';
import { sendPage } from '../../../http/render.js';
import { FormErrors } from '../../../http/views/form.js';
import { publicAccess } from '../../habilitations/policy.js';
import { HELP_TOPICS, helpArticles, topicLabel, type HelpArticle } from './articles.js';
import { excerptParts, type HelpHit } from './search.js';
import { formErrors } from '../../../http/forms.js';
import { ARTICLE_NOT_FOUND, QUERY_MAX, articleParams, searchPageQuery } from './schemas.js';
import { findArticle, searchArticles } from './service.js';

/** A GET form: works without JavaScript, and the results page can be bookmarked. */
function SearchForm({ query, error }: { query: string; error?: string }) {
  return (
    <form method="get" action="/aide/recherche" role="search" class="mb-4" novalidate>
      <label class="form-label" for="q">Rechercher dans l’aide</label>
      <div class="input-group">
        <input
          class={`form-control${error ? ' is-invalid' : ''}`}
          type="search"
          id="q"
          name="q"
          value={query}
          maxLength={QUERY_MAX}
          required
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'q-erreur q-aide' : 'q-aide'}
        />
        <button class="btn btn-primary" type="submit">Rechercher</button>
      </div>
      <div id="q-aide" class="form-text">Par exemple : activation, code de secours, devis POEI, import CSV.</div>
      {error ? <div id="q-erreur" class="text-danger small">{error}</div> : null}
    </form>
  );
}

function Breadcrumb({ article }: { article?: HelpArticle }) {
  return (
    <nav aria-label="Fil d’Ariane">
      <ol class="breadcrumb">
        <li class="breadcrumb-item"><a href="/aide">Aide</a></li>
        {article ? <li class="breadcrumb-item">{topicLabel(article.topic)}</li> : null}
      </ol>
    </nav>
  );
}

function HelpHome() {
  const articles = helpArticles();
  return (
    <div class="col-lg-9">
      <h1 class="h3">Centre d’aide</h1>
      <p>Les réponses aux questions les plus fréquentes sur Kairos, accessibles sans être connecté.</p>
      <SearchForm query="" />
      {HELP_TOPICS.map((topic) => {
        const inTopic = articles.filter((a) => a.topic === topic.code);
        if (!inTopic.length) return null;
        return (
          <section aria-labelledby={`theme-${topic.code}`} class="mb-4">
            <h2 class="h5" id={`theme-${topic.code}`}>{topic.label}</h2>
            <ul>
              {inTopic.map((a) => (
                <li><a href={`/aide/${a.slug}`}>{a.title}</a></li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

function ArticlePage({ article }: { article: HelpArticle }) {
  const related = helpArticles().filter((a) => a.topic === article.topic && a.slug !== article.slug);
  return (
    <div class="col-lg-9">
      <Breadcrumb article={article} />
      <article aria-labelledby="titre-article">
        <h1 class="h3" id="titre-article">{article.title}</h1>
        {/* Built by markdown.ts from our own files, every source character escaped. */}
        <div class="help-article" dangerouslySetInnerHTML={{ __html: article.html }} />
      </article>
      {related.length ? (
        <section aria-labelledby="voir-aussi" class="mt-4">
          <h2 class="h5" id="voir-aussi">Dans le même thème</h2>
          <ul>
            {related.map((a) => (
              <li><a href={`/aide/${a.slug}`}>{a.title}</a></li>
            ))}
          </ul>
        </section>
      ) : null}
      <p class="mt-4"><a href="/aide">Tous les articles d’aide</a></p>
    </div>
  );
}

function Excerpt({ excerpt }: { excerpt: string }) {
  return <p class="mb-0">{excerptParts(excerpt).map((p) => (p.marked ? <mark>{p.text}</mark> : p.text))}</p>;
}

function ResultsPage({ query, hits, errors }: { query: string; hits: HelpHit[]; errors: FieldError[] }) {
  return (
    <div class="col-lg-9">
      <Breadcrumb />
      <h1 class="h3">Recherche dans l’aide</h1>
      <FormErrors errors={errors} />
      <SearchForm query={query} error={errors[0]?.message} />
      {errors.length ? null : (
        <section aria-labelledby="resultats">
          <h2 class="h5" id="resultats" role="status">
            {hits.length === 0 ? `Aucun article ne correspond à « ${query} ».` : `${hits.length} article${hits.length > 1 ? 's' : ''} pour « ${query} »`}
          </h2>
          {hits.length === 0 ? (
            <p>Essayez d’autres mots, ou parcourez <a href="/aide">tous les articles par thème</a>.</p>
          ) : (
            <ol class="list-unstyled">
              {hits.map(({ article, excerpt }) => (
                <li class="mb-3">
                  <a class="fw-semibold" href={`/aide/${article.slug}`}>{article.title}</a>
                  <span class="text-body-secondary small"> — {topicLabel(article.topic)}</span>
                  <Excerpt excerpt={excerpt} />
                </li>
              ))}
            </ol>
          )}
        </section>
      )}
    </div>
  );
}

export async function helpPages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get('/aide', { config: { access: publicAccess } }, (request, reply) => sendPage(request, reply, 'Centre d’aide', () => <HelpHome />));

  app.get('/aide/recherche', { config: { access: publicAccess }, schema: { querystring: searchPageQuery }, attachValidation: true }, async (request, reply) => {
    const errors = formErrors(request);
    if (errors.length) {
      // Refused, the query is still the raw one: shown again as typed (cut), beside the message.
      const raw = (request.query as Record<string, unknown>).q;
      const shown = typeof raw === 'string' ? raw.slice(0, QUERY_MAX * 2) : '';
      return sendPage(request, reply, 'Erreur — Recherche dans l’aide', () => <ResultsPage query={shown} hits={[]} errors={errors.slice(0, 1)} />, 422);
    }
    const { q } = request.query;
    const hits = await searchArticles(app.ctx, q);
    return sendPage(request, reply, `Recherche « ${q} » — Aide`, () => <ResultsPage query={q} hits={hits} errors={[]} />);
  });

  app.get('/aide/:slug', { config: { access: publicAccess }, schema: { params: articleParams } }, (request, reply) => {
    const article = findArticle(request.params.slug);
    if (!article) throw problems.notFound(ARTICLE_NOT_FOUND);
    return sendPage(request, reply, `${article.title} — Aide`, () => <ArticlePage article={article} />);
  });
}
