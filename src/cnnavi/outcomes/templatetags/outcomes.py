from django import template

from cnnavi.outcomes.selectors import benchmark

register = template.Library()


@register.inclusion_tag("outcomes/_benchmark_card.html")
def industry_benchmark(company):
    """The company's intensity against its industry and size band (see selectors.benchmark)."""
    return {"b": benchmark(company=company), "company": company}
