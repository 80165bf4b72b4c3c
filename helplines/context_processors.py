def helplines(request):
    return {}
